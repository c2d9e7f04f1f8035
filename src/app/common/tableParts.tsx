// The markup the result tables share (Summary, Train's final accuracy, Sweep's accuracy per
// density): a scrolling wrapper around a labelled `summary` table whose rows are methods, and
// header cells that explain themselves on hover.
import type { ReactNode } from 'react';

interface FrameProps {
  /** Class names of the table (`summary` plus the table's own). */
  className: string;
  /** The table's accessible name. */
  label: string;
  /** The header row's cells after the first ("Method", heading the rows). */
  head: ReactNode;
  /** The body's rows. */
  children: ReactNode;
  /** Notes under the table, inside the scrolling wrapper. */
  after?: ReactNode;
}

export function TableFrame({ className, label, head, children, after }: FrameProps) {
  return (
    <div className="table-wrap">
      <table className={className} aria-label={label}>
        <thead>
          <tr>
            <th scope="col">Method</th>
            {head}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
      {after}
    </div>
  );
}

/** Column header cells, each `[label, hover explanation]`. */
export function ColumnHeads({ columns }: { columns: ReadonlyArray<readonly [label: string, title: string]> }) {
  return (
    <>
      {columns.map(([label, title]) => (
        <th key={label} scope="col" title={title}>
          {label}
        </th>
      ))}
    </>
  );
}
