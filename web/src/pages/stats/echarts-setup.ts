import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { init, use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

// Only what the console draws (statistics, Moments analytics), so the chart chunk carries a fraction of ECharts.
use([BarChart, LineChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

/** ECharts' `init`, with the page's charts registered; imported on demand by `EChart`. */
export { init };
