/** A record that cannot be stored; the message says which field is wrong and why. */
export class RecordError extends Error {
  override name = "RecordError";
}
