/** Month-end outputs for finance and BPJS: written idempotently (same key, same content). */
export interface ReportSink {
  put(key: string, body: string, contentType: string): Promise<void>;
}
