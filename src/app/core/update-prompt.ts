import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import { workerNotices } from './worker-registration';

/**
 * Offers "Reload to update" when a new version is ready. It never reloads on its own, so there is
 * no reload loop; a broken cache (unrecoverable state) asks for the same reload, which fetches anew.
 */
@Component({
  selector: 'app-update-prompt',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'update-prompt' },
  template: `
    @if (message(); as message) {
      <div class="banner" role="alert">
        <span>{{ message }}</span>
        <button type="button" class="button" (click)="reload()">Reload to update</button>
      </div>
    }
  `,
})
export class UpdatePrompt {
  protected readonly message = signal('');

  constructor() {
    const stop = workerNotices((notice) =>
      this.message.set(
        notice === 'VERSION_READY'
          ? 'A new version of Restaurant Reviews is ready.'
          : 'This version can no longer load some of its files. Reload to get the latest one.',
      ),
    );
    inject(DestroyRef).onDestroy(stop);
  }

  protected reload(): void {
    location.reload();
  }
}
