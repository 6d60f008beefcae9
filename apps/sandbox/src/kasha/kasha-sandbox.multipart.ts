/** Flat text fields of a multipart/form-data body; files are not part of Kasha's API. */
export function parseMultipartFields(body: string, contentType: string): Record<string, string> {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!boundary) return {};
  const fields: Record<string, string> = {};
  for (const part of body.split(`--${boundary}`)) {
    const [head, ...rest] = part.split('\r\n\r\n');
    const name = /name="([^"]+)"/i.exec(head ?? '')?.[1];
    if (!name || /filename=/i.test(head)) continue;
    fields[name] = rest.join('\r\n\r\n').replace(/\r\n$/, '');
  }
  return fields;
}
