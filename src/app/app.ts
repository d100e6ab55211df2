import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { RouterLink, RouterOutlet } from '@angular/router';
import { AppBadge } from './core/app-badge';
import { FocusOnNavigation } from './core/focus-on-navigation';
import { InstallButton } from './core/install-button';
import { Toasts } from './core/toasts';
import { UpdatePrompt } from './core/update-prompt';
import { FailedChanges } from './sync/failed-changes';
import { SyncStatus } from './sync/sync-status';

@Component({
  selector: 'app-root',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterOutlet, RouterLink, SyncStatus, Toasts, UpdatePrompt, InstallButton, FailedChanges],
  templateUrl: './app.html',
})
export class App {
  constructor() {
    inject(FocusOnNavigation).start();
    inject(AppBadge).start();
  }

  /** A plain `href="#main"` would leave the page under `<base href="/">`, so focus it directly. */
  protected skipToMain(event: Event): void {
    event.preventDefault();
    document.getElementById('main')?.focus();
  }
}
