import { NavLink, Outlet, useLocation, useNavigation } from 'react-router';
import { ConnectionIndicator } from './ConnectionIndicator';
import { TokenPrompt } from './TokenPrompt';

const NAV = [
  { to: '/', label: 'Hypotheses', end: true },
  { to: '/overview', label: 'Overview', end: false },
  { to: '/ideation', label: 'Ideation', end: false },
  { to: '/validations/queue', label: 'Validation queue', end: false },
  { to: '/graphiql', label: 'GraphiQL', end: false },
];

/** Header with navigation, live-connection state and the token prompt; the page below. */
export function Layout() {
  const navigation = useNavigation();
  const { pathname } = useLocation();
  const wide = pathname.startsWith('/graphiql');
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <NavLink to="/" className="brand">
          <span className="brand-mark" aria-hidden="true">
            ◆
          </span>{' '}
          Orchestrator
        </NavLink>
        <nav aria-label="Main" className="nav">
          {NAV.map((item) => (
            <NavLink key={item.to} to={item.to} end={item.end} className={({ isActive }) => (isActive ? 'nav-link active' : 'nav-link')}>
              {item.label}
            </NavLink>
          ))}
        </nav>
        <div className="topbar-end">
          <ConnectionIndicator />
          <TokenPrompt />
        </div>
        {navigation.state === 'loading' && <div className="nav-progress" role="progressbar" aria-label="Loading page" />}
      </header>
      <main id="main" tabIndex={-1} className={wide ? 'page page-wide' : 'page'}>
        <Outlet />
      </main>
    </>
  );
}
