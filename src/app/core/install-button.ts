import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';

/** Chromium's install prompt event; not in TypeScript's DOM lib. */
interface BeforeInstallPromptEvent extends Event {
  prompt(): Promise<void>;
  readonly userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

/** Shown only when the browser says the app can be installed. */
@Component({
  selector: 'app-install-button',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (deferred()) {
      <button type="button" class="button button-quiet" (click)="install()">Install app</button>
    }
  `,
})
export class InstallButton {
  protected readonly deferred = signal<BeforeInstallPromptEvent | undefined>(undefined);

  constructor() {
    const offer = (event: Event) => {
      event.preventDefault();
      this.deferred.set(event as BeforeInstallPromptEvent);
    };
    const installed = () => this.deferred.set(undefined);
    addEventListener('beforeinstallprompt', offer);
    addEventListener('appinstalled', installed);
    inject(DestroyRef).onDestroy(() => {
      removeEventListener('beforeinstallprompt', offer);
      removeEventListener('appinstalled', installed);
    });
  }

  protected async install(): Promise<void> {
    const event = this.deferred();
    if (!event) return;
    await event.prompt();
    await event.userChoice;
    this.deferred.set(undefined);
  }
}
