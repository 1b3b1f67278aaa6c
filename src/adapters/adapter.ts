/** A chat front end with a lifecycle. The composition root starts and stops them. */
export interface Adapter {
  readonly name: string;
  start(): Promise<void>;
  /** stop taking new work, finish what is in flight, release connections */
  stop(): Promise<void>;
  /** for /healthz: is it connected to its platform? */
  healthy?(): boolean;
  /** reminders: plain text into the incident's room(s) on this platform; none bound, nothing */
  postToIncidentRoom?(incidentId: number, text: string): Promise<void>;
}
