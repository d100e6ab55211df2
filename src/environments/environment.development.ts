/** `ng serve`: the dev server proxies /restaurants and /reviews to the API (proxy.conf.json). */
export const environment = {
  production: false,
  apiBaseUrl: '',
};
