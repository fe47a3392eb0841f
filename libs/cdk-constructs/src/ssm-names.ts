/** The SSM parameter that carries a cross-service value: `/order-platform/<stage>/<service>/<resource>`. */
export function ssmName(stage: string, service: string, resource: string): string {
  return `/order-platform/${stage}/${service}/${resource}`;
}
