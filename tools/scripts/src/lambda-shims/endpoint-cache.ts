/**
 * What `@aws-sdk/endpoint-cache` resolves to inside a Lambda bundle: the cache of discovered endpoints
 * every DynamoDB client builds (and asks on every call), with the same behaviour — entries expire after
 * their `CachePeriodInMinutes`, the least recently used goes first past the capacity — on a `Map` instead
 * of mnemonist's LRU cache (~5 KiB minified with its helpers). Endpoint discovery is off for DynamoDB
 * unless asked for, so in these functions the cache stays empty.
 */
interface EndpointWithExpiry {
  Address: string;
  Expires: number;
}

export interface Endpoint {
  Address?: string;
  CachePeriodInMinutes?: number;
}

export class EndpointCache {
  private readonly cache = new Map<string, EndpointWithExpiry[]>();

  constructor(private readonly capacity: number) {}

  getEndpoint(key: string): string | undefined {
    const endpoints = this.get(key);
    if (!endpoints?.length) return undefined;
    return endpoints[Math.floor(Math.random() * endpoints.length)]!.Address;
  }

  get(key: string): EndpointWithExpiry[] | undefined {
    if (!this.has(key)) return undefined;
    const value = this.cache.get(key)!;
    // Read as used: to the end of the order of eviction.
    this.cache.delete(key);
    this.cache.set(key, value);
    const now = Date.now();
    const live = value.filter((endpoint) => now < endpoint.Expires);
    if (!live.length) {
      this.delete(key);
      return undefined;
    }
    return live;
  }

  set(key: string, endpoints: Endpoint[]): void {
    const now = Date.now();
    this.cache.delete(key);
    this.cache.set(
      key,
      endpoints.map(({ Address, CachePeriodInMinutes }) => ({
        Address: Address!,
        Expires: now + CachePeriodInMinutes! * 60 * 1000,
      })),
    );
    while (this.cache.size > this.capacity) this.cache.delete(this.cache.keys().next().value!);
  }

  delete(key: string): void {
    if (this.cache.has(key)) this.cache.set(key, []);
  }

  has(key: string): boolean {
    return (this.cache.get(key)?.length ?? 0) > 0;
  }

  clear(): void {
    this.cache.clear();
  }
}
