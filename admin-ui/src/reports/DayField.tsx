import { useMemo, type ReactNode } from 'react';
import { useLocaleState } from 'react-admin';
import { AdapterDateFns } from '@mui/x-date-pickers/AdapterDateFns';
import { DatePicker } from '@mui/x-date-pickers/DatePicker';
import { LocalizationProvider } from '@mui/x-date-pickers/LocalizationProvider';
import { enUS, fiFI } from '@mui/x-date-pickers/locales';
import { enGB } from 'date-fns/locale/en-GB';
import { fi } from 'date-fns/locale/fi';

/**
 * A native <input type="date"> shows the browser's format (mm/dd/yyyy in an American browser)
 * whatever language the page is in. MUI X's date picker takes the chosen language: its field, its
 * calendar and its words. Finnish writes a day as 7.12.2026, English (British, as formats.ts) as
 * 07/12/2026: day before month in both.
 */
const PICKER_LOCALES = {
  en: { adapterLocale: enGB, format: 'dd/MM/yyyy', localeText: enUS.components.MuiLocalizationProvider.defaultProps.localeText },
  fi: { adapterLocale: fi, format: 'd.M.yyyy', localeText: fiFI.components.MuiLocalizationProvider.defaultProps.localeText },
};

function pickerLocale(locale: string) {
  return locale === 'fi' ? PICKER_LOCALES.fi : PICKER_LOCALES.en;
}

/** The date pickers below it in the chosen language (react-admin's locale). */
export function DayPickersInLanguage({ children }: { children: ReactNode }) {
  const [locale] = useLocaleState();
  const { adapterLocale, localeText } = pickerLocale(locale);
  return (
    <LocalizationProvider dateAdapter={AdapterDateFns} adapterLocale={adapterLocale} localeText={localeText}>
      {children}
    </LocalizationProvider>
  );
}

/** The days a report can ask for: MUI's own bounds are 1900..2099, and a year typed half-way ("2") is year 2. */
const FIRST_DAY = new Date(2000, 0, 1);
const LAST_DAY = new Date(2100, 11, 31);

/** "2026-12-07" (the API's day) as a local Date, and back; '' is no day. */
function toDate(day: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  return match ? new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : null;
}
function toDay(date: Date): string {
  const pad = (n: number, digits = 2) => String(n).padStart(digits, '0');
  return `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/**
 * One day of a filter ("From", "To"), as `yyyy-mm-dd`, picked or typed in the chosen language's
 * format. A day typed half-way changes nothing until it is a whole date within the bounds (MUI
 * sends year 2 after the first digit of a year, and an invalid date for 31.11.); emptied, it is ''.
 * The Date given to the picker is the same object until the day changes: MUI compares it by
 * reference, and a new Date on each render would replace what is being typed. `minDate` is the
 * earliest day it takes ("To" takes none before "From"). Inside DayPickersInLanguage.
 */
export function DayField({
  label,
  value,
  onChange,
  minDay,
  sx,
}: {
  label: string;
  value: string;
  onChange: (day: string) => void;
  /** The earliest day, `yyyy-mm-dd`; 2000-01-01 without it. */
  minDay?: string;
  sx?: object;
}) {
  const [locale] = useLocaleState();
  const { format } = pickerLocale(locale);
  const date = useMemo(() => toDate(value), [value]);
  const minDate = useMemo(() => toDate(minDay ?? '') ?? FIRST_DAY, [minDay]);
  return (
    <DatePicker
      label={label}
      value={date}
      format={format}
      minDate={minDate}
      maxDate={LAST_DAY}
      onChange={(next, { validationError }) => {
        if (next === null) onChange('');
        else if (validationError === null && !Number.isNaN(next.getTime())) onChange(toDay(next));
      }}
      slotProps={{
        // As the report's other filters: react-admin's theme makes form controls filled, small and dense.
        textField: { size: 'small', variant: 'filled', margin: 'dense', sx },
        // 7.12.2026 rather than 07.12.2026: the format's own digits.
        field: { clearable: true, shouldRespectLeadingZeros: true },
      }}
    />
  );
}
