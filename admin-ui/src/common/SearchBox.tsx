import { SearchInput, useTranslate, type SearchInputProps } from 'react-admin';

/**
 * A list's search box with its hint in the chosen language: `placeholder` is a message key
 * (react-admin's SearchInput shows a placeholder as given).
 */
export function SearchBox({ placeholder, ...props }: SearchInputProps & { placeholder: string }) {
  const translate = useTranslate();
  return <SearchInput {...props} placeholder={translate(placeholder, { _: placeholder })} />;
}
