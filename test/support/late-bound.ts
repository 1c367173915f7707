/**
 * An object whose `keys` are read from `source()` at each access: for what a file's hook opens
 * (its database, its request world) but its module scope must name before the hook has run.
 */
export function lateBound<T extends object>(source: () => T, keys: ReadonlyArray<keyof T>): T {
  const view = {} as T;
  for (const key of keys) Object.defineProperty(view, key, { enumerable: true, get: () => source()[key] });
  return view;
}
