/** A problem with the local set-up that the user can fix; its message says how. Printed without a stack. */
export class InfraError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InfraError';
  }
}
