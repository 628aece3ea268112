import { XMLParser } from "fast-xml-parser";

/** An element as fast-xml-parser gives it: child elements by local name, attributes as `@_name`. */
export type XmlElement = Record<string, unknown>;

/**
 * Parses an XML document, dropping namespace prefixes (`arxiv:comment` becomes `comment`).
 * Elements named in `repeated` are always arrays, so one child and many read the same way.
 * Tag values stay strings: arXiv ids like 2501.00010 must not become numbers. Throws on
 * malformed XML.
 */
export function parseXml(text: string, repeated: readonly string[]): XmlElement {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "@_",
    parseTagValue: false,
    removeNSPrefix: true,
    isArray: (name) => repeated.includes(name),
  });
  return parser.parse(text, true) as XmlElement;
}

/** The text of an element that may carry attributes (`{"#text": …, "@_x": …}`); undefined when absent. */
export function textOf(node: unknown): string | undefined {
  if (typeof node === "string") return node;
  if (typeof node === "object" && node !== null) {
    const text = (node as XmlElement)["#text"];
    return typeof text === "string" ? text : "";
  }
  return undefined;
}

export function attributeOf(node: unknown, name: string): string | undefined {
  if (typeof node !== "object" || node === null) return undefined;
  const value = (node as XmlElement)[`@_${name}`];
  return typeof value === "string" ? value : undefined;
}

export function elementOf(node: unknown, name: string): XmlElement | undefined {
  if (typeof node !== "object" || node === null) return undefined;
  const child = (node as XmlElement)[name];
  return typeof child === "object" && child !== null && !Array.isArray(child) ? (child as XmlElement) : undefined;
}

export function elementsOf(node: unknown, name: string): XmlElement[] {
  if (typeof node !== "object" || node === null) return [];
  const children = (node as XmlElement)[name];
  return Array.isArray(children)
    ? children.map((c) => (typeof c === "object" && c !== null ? (c as XmlElement) : { "#text": String(c) }))
    : [];
}
