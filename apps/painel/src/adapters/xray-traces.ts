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
  annotations?: Record<string, unknown>;
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
    const wanted = new Set(correlationIds);
    for (let i = 0; i < traceIds.length; i += 5) {
      const batch = await this.client.send(new BatchGetTracesCommand({ TraceIds: traceIds.slice(i, i + 5) }));
      for (const trace of batch.Traces ?? []) {
        const documents = (trace.Segments ?? []).flatMap((segment) =>
          segment.Document ? [JSON.parse(segment.Document) as Document] : [],
        );
        spans.push(...orderSpans(documents, trace.Id ?? '', wanted));
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

/**
 * What of one trace's documents belongs to the orders with these correlation ids. Lambda runs a batch of
 * queue records in the trace of its first record, so a trace can hold work done for other orders, and an
 * order's records can be handled in other orders' traces (each under a `## record` subsegment annotated
 * with its correlation id, and `recordTraceId` when it came from another trace). So:
 * - a trace where the order is annotated outside such a borrowed record is the order's own: all of it,
 *   except the records other orders brought in from their own traces;
 * - from any other trace, only the subtrees annotated with the order's correlation id, under the function
 *   and handler that ran them.
 */
export function orderSpans(documents: Document[], traceId: string, correlationIds: Set<string>): TraceSpan[] {
  const mine = (d: Document) => correlationIds.has(String(d.annotations?.['correlationId']));
  const borrowed = (d: Document) => d.annotations?.['recordTraceId'] !== undefined;
  const all = (d: Document): Document[] => [d, ...(d.subsegments ?? []).flatMap(all)];
  const own = documents.flatMap(all).some((d) => mine(d) && !borrowed(d));
  const spans: TraceSpan[] = [];
  const visit = (
    d: Document,
    depth: number,
    parentId: string | undefined,
    taken: boolean,
    path: TraceSpan[],
  ) => {
    if (own && borrowed(d) && !mine(d)) return;
    const take = taken || own || mine(d);
    const s = span(d, traceId, depth, parentId);
    // Above a record taken from another trace: the function and handler that ran it (not their other records).
    if (take && !taken) spans.push(...path.filter((a) => !spans.includes(a)));
    if (take) spans.push(s);
    for (const sub of d.subsegments ?? []) visit(sub, depth + 1, d.id, take, take ? [] : [...path, s]);
  };
  for (const d of documents) visit(d, 0, undefined, false, []);
  return spans;
}

/** One document as a span, at its depth under the segment. */
function span(doc: Document, traceId: string, depth: number, parentId: string | undefined): TraceSpan {
  return {
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
}
