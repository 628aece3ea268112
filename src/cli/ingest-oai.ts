import { isCalendarDay } from "../calendar/new-york.ts";
import { DEFAULT_OAI_ENDPOINT, harvestOai, type OaiRequest, oaiCheckpointKey } from "../ingest/oai-source.ts";
import { parseCommandArgs, UsageError, urlOption } from "./command.ts";
import type { IngestSourceCommand } from "./ingest.ts";

function dayOption(value: string | undefined, name: string): string | undefined {
  if (value !== undefined && !isCalendarDay(value))
    throw new UsageError(`--${name} "${value}" must be a date written YYYY-MM-DD`);
  return value;
}

export function parseOaiArgs(args: string[]): OaiRequest {
  const { values } = parseCommandArgs(
    args,
    { from: { type: "string" }, until: { type: "string" }, set: { type: "string" }, endpoint: { type: "string" } },
    false,
  );
  const from = dayOption(values.from, "from");
  if (!from) throw new UsageError("ingest oai needs --from YYYY-MM-DD");
  const until = dayOption(values.until, "until");
  if (until && until < from) throw new UsageError(`--until ${until} is before --from ${from}`);
  if (values.set !== undefined && !/^[A-Za-z0-9.:-]+$/.test(values.set))
    throw new UsageError(`--set "${values.set}" is not an OAI set name like cs or physics:hep-th`);
  return {
    endpoint: urlOption(values.endpoint, "endpoint") ?? DEFAULT_OAI_ENDPOINT,
    from,
    ...(until ? { until } : {}),
    ...(values.set ? { set: values.set } : {}),
  };
}

export const oaiSource: IngestSourceCommand = {
  name: "oai",
  usage: "paperboy ingest oai --from YYYY-MM-DD [--until YYYY-MM-DD] [--set SET] [--endpoint URL]",
  summary: `arXiv OAI-PMH harvest of records changed in a date range (set e.g. cs, math, physics:hep-th; endpoint defaults to ${DEFAULT_OAI_ENDPOINT}); an interrupted harvest resumes from its last resumption token when rerun with the same arguments`,
  async open(args, resume) {
    const request = parseOaiArgs(args);
    const key = oaiCheckpointKey(request);
    return {
      items: harvestOai({
        ...request,
        resumeFrom: await resume(key),
        http: { onNotice: (message) => process.stderr.write(`ingest oai: ${message}\n`) },
      }),
      checkpointKey: key,
      finish: (store) => store.ingestState.delete(key),
    };
  },
};
