/** Colours and axis styles shared by the charts (dark theme). */
export const CHART = {
  grid: '#2a3140',
  axis: '#8b93a7',
  good: '#4cc38a',
  bad: '#f0706b',
  accent: '#6e9bff',
  series: ['#6e9bff', '#f5b84b', '#4cc38a', '#c58af9', '#f0706b', '#4fd1d9', '#e6e8ee'],
  tooltip: { backgroundColor: '#171b24', border: '1px solid #2f3746', borderRadius: 6, color: '#e6e8ee' },
  tick: { fill: '#8b93a7', fontSize: 12 },
} as const;
