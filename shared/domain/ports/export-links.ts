/** A short-lived URL to read one object of the reports bucket (a presigned S3 GET). */
export interface ExportLinks {
  /** `undefined` when the object does not exist (yet). */
  link(key: string): Promise<{ readonly url: string; readonly expiresAt: string } | undefined>;
}
