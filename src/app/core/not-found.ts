import { ChangeDetectionStrategy, Component } from '@angular/core';
import { RouterLink } from '@angular/router';

@Component({
  selector: 'app-not-found',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink],
  template: `
    <h1 tabindex="-1">Page not found</h1>
    <p>There is nothing at this address. <a routerLink="/">See all restaurants</a>.</p>
  `,
})
export class NotFound {}
