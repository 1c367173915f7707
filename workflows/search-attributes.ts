// What Temporal's own tools (`temporal workflow list --query`, the Web UI's filter) can find a
// request workflow by. The API sets all four when it starts the workflow; the workflow keeps the
// status current (request-steps.ts). The names are a contract with operators' saved queries, and
// every server the desk runs on registers them (embedded/search-attributes.ts, docker-compose.yml).
//
// @temporalio/common is pure (the workflow package itself is built on it) and is where the SDK
// defines typed search-attribute keys; @temporalio/workflow does not re-export them.
import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributePair } from '@temporalio/common';

/** The request number people quote, e.g. "LD-000012". */
export const referenceKey = defineSearchAttributeKey('LicenseDeskReference', SearchAttributeType.KEYWORD);
/** The partner company's id (a UUID, as in the API). */
export const companyIdKey = defineSearchAttributeKey('LicenseDeskCompanyId', SearchAttributeType.KEYWORD);
/** The request type, e.g. "NEW_INSTALLATION". */
export const requestTypeKey = defineSearchAttributeKey('LicenseDeskRequestType', SearchAttributeType.KEYWORD);
/** The request's status as the desk's lists show it, e.g. "PENDING_APPROVAL". */
export const statusKey = defineSearchAttributeKey('LicenseDeskStatus', SearchAttributeType.KEYWORD);

/** Every custom search attribute of the request workflows, as a server must register them. */
export const REQUEST_SEARCH_ATTRIBUTES = [referenceKey, companyIdKey, requestTypeKey, statusKey] as const;

/** What `temporal workflow describe` shows of a request besides its search attributes. */
export interface RequestMemo {
  reference: string;
  companyId: string;
  companyName: string;
  requestType: string;
}

/** The search attributes a request workflow starts with. */
export function requestSearchAttributes(request: { reference: string; companyId: string; requestType: string; status: string }): SearchAttributePair[] {
  return [
    { key: referenceKey, value: request.reference },
    { key: companyIdKey, value: request.companyId },
    { key: requestTypeKey, value: request.requestType },
    { key: statusKey, value: request.status },
  ];
}
