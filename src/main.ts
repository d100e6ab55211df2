import { bootstrapApplication } from '@angular/platform-browser';
import { appConfig } from './app/app.config';
import { App } from './app/app';

// One task evaluates the scripts, the next bootstraps: the browser can paint and handle input
// in between, and no single task holds the main thread for both.
setTimeout(() => bootstrapApplication(App, appConfig).catch((err: unknown) => console.error(err)));
