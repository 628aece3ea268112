import type { HfMeta } from "./record.ts";

/** Hugging Face account names (users and organisations): safe in a URL path as they are. */
export const hfAccountName = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,95}$/;

export interface NamedOrganization {
  name: string;
  fullname: string | null;
  avatar: string | null;
}

/** How an organisation is shown: its full name when it has one. */
export const organizationLabel = (organization: NamedOrganization): string =>
  (organization.fullname ?? organization.name).replace(/\s+/g, " ");

/** The organisation a paper's Hugging Face data names, when its name is a proper account name. */
export function organizationIn(hf: HfMeta): NamedOrganization | null {
  const shape = hf.organization;
  const name = typeof shape?.name === "string" ? shape.name.trim() : "";
  if (!hfAccountName.test(name)) return null;
  const text = (value: unknown) => (typeof value === "string" && value.trim() !== "" ? value.trim() : null);
  return { name, fullname: text(shape?.fullname), avatar: text(shape?.avatar) };
}
