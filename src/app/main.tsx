import { createRoot } from 'react-dom/client';

function Placeholder() {
  return (
    <main>
      <h1>PX Lab</h1>
      <p>Pruning at initialisation, live. The lab page is being built.</p>
    </main>
  );
}

createRoot(document.getElementById('root')!).render(<Placeholder />);
