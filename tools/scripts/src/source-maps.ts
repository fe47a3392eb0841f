import { decode, encode, type SourceMapSegment } from '@jridgewell/sourcemap-codec';

/** The parts of a source map (version 3) a bundle's stack traces need. */
export interface SourceMap {
  version: 3;
  sources: string[];
  names: string[];
  mappings: string;
}

/**
 * A function bundle's source map with only the workspace's own sources (apps/, libs/, tools/): the
 * functions run with `--enable-source-maps` (NODE_OPTIONS in AWS, the sandboxes locally), and Node reads
 * and decodes a bundle's whole map when it loads the bundle. The dependencies' mappings were ~95 % of each
 * map (~900 KiB of 1 MB) and ~6 ms of every cold start on this machine; a stack trace still names the
 * platform's own files and lines, and a frame inside a dependency keeps the bundle's position (its error's
 * name and message say what failed there). Segments are kept as they were, their source and name indexes
 * renumbered.
 */
export function ownSourcesOnly(map: SourceMap): SourceMap {
  const own = map.sources.map((source) => !source.includes('node_modules/'));
  const sources: string[] = [];
  const names: string[] = [];
  const sourceIndex = new Map<number, number>();
  const nameIndex = new Map<number, number>();
  const renumber = (index: Map<number, number>, list: string[], from: string[], i: number) => {
    let n = index.get(i);
    if (n === undefined) {
      n = list.length;
      index.set(i, n);
      list.push(from[i]!);
    }
    return n;
  };
  const lines = decode(map.mappings).map((line) =>
    line
      .filter((segment) => segment.length > 1 && own[segment[1]!])
      .map((segment): SourceMapSegment => {
        const [column, source, line, sourceColumn] = segment as [number, number, number, number];
        const kept = renumber(sourceIndex, sources, map.sources, source);
        return segment.length === 5
          ? [column, kept, line, sourceColumn, renumber(nameIndex, names, map.names, segment[4])]
          : [column, kept, line, sourceColumn];
      }),
  );
  return { version: 3, sources, names, mappings: encode(lines) };
}
