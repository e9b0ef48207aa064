import { changeFilters, parseRunFilters, writeRunFilters, type RunFilters } from './run-filters';

const DEFAULTS: RunFilters = { statuses: [], hypothesisId: null, order: 'DESC', hidden: false, after: null, pageSize: 20 };

describe('run filters in the URL', () => {
  it('reads every filter, ignoring what is not valid', () => {
    const params = new URLSearchParams('status=running,FAILED,bogus,RUNNING&hypothesis=h-1&order=asc&hidden=1&after=c2&size=50');
    expect(parseRunFilters(params)).toEqual({ statuses: ['RUNNING', 'FAILED'], hypothesisId: 'h-1', order: 'ASC', hidden: true, after: 'c2', pageSize: 50 });
    expect(parseRunFilters(new URLSearchParams('size=7&order=sideways'))).toEqual(DEFAULTS);
  });

  it('writes only what differs from the defaults and keeps unrelated params', () => {
    expect(writeRunFilters(DEFAULTS, new URLSearchParams('tab=x')).toString()).toBe('tab=x');
    const params = writeRunFilters({ ...DEFAULTS, statuses: ['QUEUED', 'RUNNING'], order: 'ASC', pageSize: 100 });
    expect(params.toString()).toBe('status=QUEUED%2CRUNNING&order=asc&size=100');
    expect(parseRunFilters(params)).toEqual({ ...DEFAULTS, statuses: ['QUEUED', 'RUNNING'], order: 'ASC', pageSize: 100 });
  });

  it('goes back to the first page when a filter changes, not when only the page does', () => {
    const onPage3 = { ...DEFAULTS, after: 'c3' };
    expect(changeFilters(onPage3, { statuses: ['FAILED'] })).toEqual({ ...DEFAULTS, statuses: ['FAILED'] });
    expect(changeFilters(onPage3, { after: 'c4' })).toEqual({ ...DEFAULTS, after: 'c4' });
  });
});
