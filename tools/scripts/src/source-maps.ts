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
 * map (~900 KiB of 1 MB) and ~6 ms of every cold start on this machine. The platform's own segments are
 * kept as they were (their source and name indexes renumbered); where a run of a dependency's code starts,
 * an unmapped segment (a column alone) ends the mapping before it, so a frame inside a dependency keeps the
 * bundle's position instead of borrowing the nearest own line before it.
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
  const lines = decode(map.mappings).map((line) => {
    const kept: SourceMapSegment[] = [];
    let unmapped = false;
    for (const segment of line) {
      if (segment.length === 1 || !own[segment[1]!]) {
        if (!unmapped) kept.push([segment[0]]);
        unmapped = true;
        continue;
      }
      unmapped = false;
      const [column, source, sourceLine, sourceColumn] = segment as [number, number, number, number];
      const renumbered = renumber(sourceIndex, sources, map.sources, source);
      kept.push(
        segment.length === 5
          ? [column, renumbered, sourceLine, sourceColumn, renumber(nameIndex, names, map.names, segment[4])]
          : [column, renumbered, sourceLine, sourceColumn],
      );
    }
    return kept;
  });
  return { version: 3, sources, names, mappings: encode(lines) };
}
