// The page's tabs other than Pruning (whose charts are PruneCharts): Train, Sweep, Transfer, Metrics.
import type { ComponentProps, ReactNode } from 'react';
import type { RunConfig } from '../../shared/config';
import type { HistoryRecord } from './history';
import type { RunView } from '../common/runView';
import { MetricsPanel } from '../metrics/MetricsPanel';
import type { PanelProps } from '../common/panelProps';
import { SweepPanel } from '../sweep/SweepPanel';
import type { Tab } from './SectionTabs';
import { TrainPanel } from '../train/TrainPanel';
import { TransferPanel } from '../transfer/TransferPanel';

interface TabPanelsProps extends PanelProps {
  tab: Tab;
  backend: ComponentProps<typeof SweepPanel>['backend'];
  weightsInUse: ComponentProps<typeof TransferPanel>['weightsInUse'];
  config: RunConfig;
  view: RunView | null;
  records: HistoryRecord[];
}

/** One tab's panel, labelled by its tab and shown while that tab is open. */
function TabPanel({ id, tab, children }: { id: Tab; tab: Tab; children: ReactNode }) {
  return (
    <div id={`panel-${id}`} role="tabpanel" aria-labelledby={`tab-${id}`} className="tab-panel" hidden={tab !== id}>
      {children}
    </div>
  );
}

export function TabPanels({ tab, backend, weightsInUse, config, view, records, ...panel }: TabPanelsProps) {
  const { state, source, theme } = panel;
  return (
    <>
      <TabPanel id="train" tab={tab}>
        <TrainPanel {...panel} />
      </TabPanel>
      <TabPanel id="sweep" tab={tab}>
        <SweepPanel {...panel} backend={backend} open={tab === 'sweep'} />
      </TabPanel>
      <TabPanel id="transfer" tab={tab}>
        <TransferPanel state={state} source={source} theme={theme} weightsInUse={weightsInUse} />
      </TabPanel>
      <TabPanel id="metrics" tab={tab}>
        <MetricsPanel {...panel} config={config} view={view} open={tab === 'metrics'} records={records} />
      </TabPanel>
    </>
  );
}
