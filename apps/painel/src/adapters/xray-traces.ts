import { BatchGetTracesCommand, GetTraceSummariesCommand, type XRayClient } from '@aws-sdk/client-xray';
import type { TraceSpan, Traces } from '../application/ports';

interface Document {
  id: string;
  trace_id?: string;
  parent_id?: string;
  name: string;
  origin?: string;
  start_time: number;
  end_time?: number;
  in_progress?: boolean;
  error?: boolean;
  fault?: boolean;
  subsegments?: Document[];
}

/** Traces found at most per correlation id. */
const MAX_TRACES = 20;

/** An order's traces read from X-Ray: summaries filtered on the `correlationId` annotation, then the traces. */
export class XRayTraces implements Traces {
  constructor(private readonly client: XRayClient) {}

  async spans(correlationIds: string[], from: Date, to: Date): Promise<TraceSpan[]> {
    const ids = new Set<string>();
    for (const correlationId of correlationIds) {
      let NextToken: string | undefined;
      do {
        const page = await this.client.send(
          new GetTraceSummariesCommand({
            StartTime: from,
            EndTime: to,
            FilterExpression: `annotation.correlationId = ${JSON.stringify(correlationId)}`,
            NextToken,
          }),
        );
        for (const s of page.TraceSummaries ?? []) if (s.Id) ids.add(s.Id);
        NextToken = page.NextToken;
      } while (NextToken && ids.size < MAX_TRACES);
    }
    const traceIds = [...ids].slice(0, MAX_TRACES);
    const spans: TraceSpan[] = [];
    for (let i = 0; i < traceIds.length; i += 5) {
      const batch = await this.client.send(new BatchGetTracesCommand({ TraceIds: traceIds.slice(i, i + 5) }));
      for (const trace of batch.Traces ?? [])
        for (const segment of trace.Segments ?? []) {
          if (!segment.Document) continue;
          spans.push(...flatten(JSON.parse(segment.Document) as Document, trace.Id ?? '', 0));
        }
    }
    return causalOrder(spans);
  }
}

/**
 * Spans in the order of cause and effect: each after its parent (a subsegment after its segment, a
 * function's segment after the call that led to it), siblings by start time; spans whose parent is not
 * among them (another trace's, or a segment not yet closed) start a branch of their own.
 */
export function causalOrder(spans: TraceSpan[]): TraceSpan[] {
  const ids = new Set(spans.map((s) => s.id));
  const children = new Map<string, TraceSpan[]>();
  const roots: TraceSpan[] = [];
  for (const s of spans) {
    if (s.parentId && ids.has(s.parentId) && s.parentId !== s.id)
      children.set(s.parentId, [...(children.get(s.parentId) ?? []), s]);
    else roots.push(s);
  }
  const ordered: TraceSpan[] = [];
  const seen = new Set<string>();
  const byStart = (a: TraceSpan, b: TraceSpan) => a.start - b.start;
  const visit = (s: TraceSpan) => {
    if (seen.has(s.id)) return;
    seen.add(s.id);
    ordered.push(s);
    for (const c of (children.get(s.id) ?? []).sort(byStart)) visit(c);
  };
  for (const r of roots.sort(byStart)) visit(r);
  return ordered;
}

/** A document and its subsegments as spans, each with its depth under the segment. */
export function flatten(doc: Document, traceId: string, depth: number, parentId?: string): TraceSpan[] {
  const span: TraceSpan = {
    traceId: doc.trace_id ?? traceId,
    id: doc.id,
    parentId: doc.parent_id ?? parentId,
    name: doc.name,
    origin: doc.origin ?? '',
    start: doc.start_time,
    end: doc.end_time ?? doc.start_time,
    depth,
    error: doc.error === true,
    fault: doc.fault === true,
  };
  return [span, ...(doc.subsegments ?? []).flatMap((s) => flatten(s, span.traceId, depth + 1, doc.id))];
}
