/** Production build. An empty `apiBaseUrl` means the API is on the app's own origin. */
export const environment = {
  production: true,
  apiBaseUrl: '',
};
