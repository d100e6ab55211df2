import { Injectable, signal } from '@angular/core';

/**
 * "Open this review in the form": asked from anywhere (the "Not sent" banner), answered by the
 * review list of that restaurant once it shows the review, on this page or after navigating to it.
 */
@Injectable({ providedIn: 'root' })
export class EditRequest {
  /** The outbox record's `local_id`: it names a queued new review and a queued change alike. */
  private readonly localId = signal<number | undefined>(undefined);
  readonly requested = this.localId.asReadonly();

  ask(localId: number): void {
    this.localId.set(localId);
  }

  /** Called by the list that opened the form, so a later visit does not open it again. */
  done(): void {
    this.localId.set(undefined);
  }
}
