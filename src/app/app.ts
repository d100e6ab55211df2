import { ChangeDetectionStrategy, Component } from '@angular/core';
import { RouterLink, RouterOutlet } from '@angular/router';
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
  /** A plain `href="#main"` would leave the page under `<base href="/">`, so focus it directly. */
  protected skipToMain(event: Event): void {
    event.preventDefault();
    document.getElementById('main')?.focus();
  }
}
