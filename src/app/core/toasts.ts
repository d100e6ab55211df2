import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { Toaster } from './toaster';

/** Visual toasts; the announcement itself goes through LiveAnnouncer in Toaster. */
@Component({
  selector: 'app-toasts',
  changeDetection: ChangeDetectionStrategy.OnPush,
  // A labelled region, so a visible toast sits inside a landmark like the rest of the page.
  host: { class: 'toasts', role: 'region', 'aria-label': 'Notifications' },
  template: `
    @for (toast of toaster.toasts(); track toast.id) {
      <div class="toast">
        <span>{{ toast.text }}</span>
        <button type="button" class="toast-close" (click)="toaster.dismiss(toast.id)" aria-label="Dismiss notification">×</button>
      </div>
    }
  `,
})
export class Toasts {
  protected readonly toaster = inject(Toaster);
}
