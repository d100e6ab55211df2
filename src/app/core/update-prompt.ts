import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { SwUpdate } from '@angular/service-worker';

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
    const updates = inject(SwUpdate);
    if (!updates.isEnabled) return;
    updates.versionUpdates.pipe(takeUntilDestroyed()).subscribe((event) => {
      if (event.type === 'VERSION_READY') this.message.set('A new version of Restaurant Reviews is ready.');
    });
    updates.unrecoverable.pipe(takeUntilDestroyed()).subscribe(() => {
      this.message.set('This version can no longer load some of its files. Reload to get the latest one.');
    });
  }

  protected reload(): void {
    location.reload();
  }
}
