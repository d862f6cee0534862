/** A small client of `/api/v1` for the end-to-end tests, and the OpenAPI document's operations. */

export interface ApiResponse<T = unknown> {
  readonly status: number;
  readonly body: T;
}

/** The JSON body of every error response. */
export interface ApiErrorBody {
  readonly statusCode: number;
  readonly error: string;
  readonly message: string;
  readonly issues?: { field: string; message: string }[];
}

export async function call<T = unknown>(
  base: string,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; rawBody?: string; contentType?: string } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = {};
  if (opts.token) headers['authorization'] = `Bearer ${opts.token}`;
  const body = opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
  if (body !== undefined) headers['content-type'] = opts.contentType ?? 'application/json';
  const res = await fetch(`${base}${path}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON: the assertion on the body will say so.
  }
  return { status: res.status, body: parsed as T };
}

export interface Operation {
  readonly method: string;
  /** OpenAPI path, e.g. /api/v1/tenants/{tenant}/devices/{device}. */
  readonly path: string;
  /** `METHOD /path`, the key of the expectation tables. */
  readonly key: string;
  readonly pathParams: string[];
  readonly queryParams: {
    name: string;
    required: boolean;
    schema: { type?: string; enum?: unknown[]; pattern?: string };
  }[];
  readonly hasBody: boolean;
  readonly bodySchema?: { properties?: Record<string, { type?: string }>; required?: string[] };
  readonly permission?: string;
  readonly public: boolean;
}

interface OpenApiDocument {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: {
          name: string;
          in: string;
          required?: boolean;
          schema?: Operation['queryParams'][number]['schema'];
        }[];
        requestBody?: { content: Record<string, { schema: Operation['bodySchema'] }> };
        'x-vigie-permission'?: string;
        'x-vigie-public'?: boolean;
      }
    >
  >;
}

/** Every operation of the served OpenAPI document. */
export async function operationsOf(base: string): Promise<Operation[]> {
  const res = await fetch(`${base}/api/docs-json`);
  if (res.status !== 200) throw new Error(`GET /api/docs-json: ${res.status}`);
  const doc = (await res.json()) as OpenApiDocument;
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      key: `${method.toUpperCase()} ${path}`,
      pathParams: (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
      queryParams: (op.parameters ?? [])
        .filter((p) => p.in === 'query')
        .map((p) => ({ name: p.name, required: p.required ?? false, schema: p.schema ?? {} })),
      hasBody: op.requestBody !== undefined,
      bodySchema: op.requestBody?.content['application/json']?.schema,
      permission: op['x-vigie-permission'],
      public: op['x-vigie-public'] === true,
    })),
  );
}

/** The path of an operation with its parameters replaced. */
export function pathOf(op: Operation, params: Record<string, string>): string {
  return op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = params[name];
    if (v === undefined) throw new Error(`${op.key}: no value for {${name}}`);
    return encodeURIComponent(v);
  });
}
