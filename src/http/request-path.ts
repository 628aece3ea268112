/**
 * The path of a request URL with its percent-encoding decoded, or null when it does not decode
 * (a lone `%`, `%zz`, bytes that are not UTF-8): such a path names nothing, on any route.
 */
export function decodedPath(url: string): string | null {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  const end = url.search(/[?#]/);
  const raw = start < 0 ? "/" : url.slice(start, end < start ? undefined : end);
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}
