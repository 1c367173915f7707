import { createElement, lazy, type ComponentType } from 'react';

/** Rendered while the page reloads itself for a chunk of an older build (see main.tsx). */
const Reloading = () => null;

/**
 * A page loaded on first use: `lazyPage(() => import('./X.tsx'), 'XList')`. Each resource's pages
 * are their own chunk, so the login page does not download the back office (react-admin's Layout
 * renders its children inside a Suspense boundary with its loading indicator).
 */
export function lazyPage<K extends string>(load: () => Promise<{ [P in K]: ComponentType<never> }>, name: K) {
  const Page = lazy(() =>
    // undefined when the chunk could not load and main.tsx's vite:preloadError handler reloads the app.
    load().then((module: { [P in K]: ComponentType<never> } | undefined) => ({ default: (module?.[name] ?? Reloading) as ComponentType<object> })),
  );
  return function LazyPage(props: object) {
    return createElement(Page, props);
  };
}
