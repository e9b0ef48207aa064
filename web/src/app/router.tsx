import { createBrowserRouter, type RouteObject } from 'react-router';
import { Loading } from '../common/components/States';
import { Layout } from './Layout';
import { NotFound, RouteError } from './RouteError';

// Every page is its own chunk: the first load carries only the shell and the page it shows.
export const routes: RouteObject[] = [
  {
    path: '/',
    Component: Layout,
    ErrorBoundary: RouteError,
    HydrateFallback: () => <Loading what="the page" />,
    children: [
      { index: true, lazy: async () => ({ Component: (await import('../hypotheses/pages/HomePage')).HomePage }) },
      { path: 'overview', lazy: async () => ({ Component: (await import('../overview/pages/OverviewPage')).OverviewPage }) },
      { path: 'ideation', lazy: async () => ({ Component: (await import('../ideation/pages/IdeationPage')).IdeationPage }) },
      {
        path: 'validations/queue',
        lazy: async () => ({ Component: (await import('../validation/pages/ValidationQueuePage')).ValidationQueuePage }),
      },
      { path: 'runs/:id', lazy: async () => ({ Component: (await import('../runs/pages/RunDetailPage')).RunDetailPage }) },
      { path: 'graphiql', lazy: async () => ({ Component: (await import('../graphiql/GraphiqlPage')).GraphiqlPage }) },
      { path: '*', Component: NotFound },
    ],
  },
];

export const createRouter = () => createBrowserRouter(routes);
