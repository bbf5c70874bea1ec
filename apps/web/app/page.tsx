export default function Home() {
  return (
    <main>
      <h1>Mentora</h1>
      <p>
        Infrastructure demo app. Health: <a href="/api/health">/api/health</a> · Status:{' '}
        <a href="/status">/status</a>
      </p>
    </main>
  );
}
