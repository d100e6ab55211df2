import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { RouterLink } from '@angular/router';

/**
 * The one not-found page: for an address that leads nowhere (the `**` route) and for a restaurant
 * that does not exist. The server answers both deep links with status 404 (server/app-pages.ts).
 */
@Component({
  selector: 'app-not-found',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink],
  host: { class: 'state-page not-found' },
  template: `
    <h1 tabindex="-1">{{ title() ?? defaultTitle }}</h1>
    <p>{{ message() ?? defaultMessage }}</p>
    <p><a class="button" routerLink="/">See all restaurants</a></p>
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      align-items: flex-start;
      gap: 0.75rem;
      max-width: 40rem;
      padding: 1rem 0 2rem;
    }
    p {
      margin: 0;
    }
  `,
})
export class NotFound {
  // Optional without defaults of their own: as the `**` route's component, the router's input
  // binding sets every input it has no value for to undefined.
  readonly title = input<string>();
  readonly message = input<string>();
  protected readonly defaultTitle = 'Page not found';
  protected readonly defaultMessage = 'There is nothing at this address. It may have moved, or the link may be mistyped.';
}
