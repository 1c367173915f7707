import { createElement, lazy, type ComponentType } from 'react';

/**
 * A page loaded on first use: `lazyPage(() => import('./X.tsx'), 'XList')`. Each resource's pages
 * are their own chunk, so the login page does not download the back office (react-admin's Layout
 * renders its children inside a Suspense boundary with its loading indicator).
 */
export function lazyPage<K extends string>(load: () => Promise<{ [P in K]: ComponentType<never> }>, name: K) {
  const Page = lazy(() => load().then((module) => ({ default: module[name] as ComponentType<object> })));
  return function LazyPage(props: object) {
    return createElement(Page, props);
  };
}
