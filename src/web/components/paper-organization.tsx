import { createContext, useContext } from "hono/jsx";
import { type NamedOrganization, organizationLabel } from "../../papers/organization.ts";
import { paths } from "../paths.ts";

/**
 * The organisation each of a page's papers is credited to (from the Hugging Face feed or linked by
 * a member), by paper id: provided once per page, so cards and the paper page show the same one.
 */
export const OrganizationsContext = createContext<Map<string, NamedOrganization>>(new Map());

export function useOrganizationOf(paperId: string): NamedOrganization | undefined {
  return useContext(OrganizationsContext).get(paperId);
}

/** A link to the organisation's page. */
export function OrganizationLink({ organization }: { organization: NamedOrganization }) {
  return <a href={paths.organization(organization.name)}>{organizationLabel(organization)}</a>;
}
