// The page's tabs other than Pruning (whose charts are PruneCharts): Train, Sweep, Transfer, Metrics.
import type { ComponentProps } from 'react';
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

export function TabPanels({
  tab,
  state,
  set,
  source,
  theme,
  blocked,
  fileStem,
  backend,
  weightsInUse,
  config,
  view,
  records,
}: TabPanelsProps) {
  return (
    <>
      <div id="panel-train" role="tabpanel" aria-labelledby="tab-train" className="tab-panel" hidden={tab !== 'train'}>
        <TrainPanel state={state} set={set} source={source} theme={theme} blocked={blocked} fileStem={fileStem} />
      </div>
      <div id="panel-sweep" role="tabpanel" aria-labelledby="tab-sweep" className="tab-panel" hidden={tab !== 'sweep'}>
        <SweepPanel state={state} set={set} source={source} theme={theme} backend={backend} blocked={blocked} fileStem={fileStem} />
      </div>
      <div id="panel-transfer" role="tabpanel" aria-labelledby="tab-transfer" className="tab-panel" hidden={tab !== 'transfer'}>
        <TransferPanel state={state} source={source} theme={theme} weightsInUse={weightsInUse} />
      </div>
      <div id="panel-metrics" role="tabpanel" aria-labelledby="tab-metrics" className="tab-panel" hidden={tab !== 'metrics'}>
        <MetricsPanel
          state={state}
          set={set}
          config={config}
          source={source}
          view={view}
          open={tab === 'metrics'}
          blocked={blocked}
          records={records}
          theme={theme}
          fileStem={fileStem}
        />
      </div>
    </>
  );
}
