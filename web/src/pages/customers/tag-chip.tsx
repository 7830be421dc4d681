import { Tag as Chip } from 'antd';
import { theme } from '../../providers.js';

/** A tag as the list and the detail show it: enterprise tags blue, personal tags green (the library's legend). */
export function TagChip({ name, personal, title, onClose }: { name: string; personal: boolean; title?: string; onClose?: () => void }) {
  return (
    <Chip
      color={personal ? theme.personalTag : theme.enterpriseTag}
      title={title ?? name}
      closable={onClose !== undefined}
      onClose={onClose}
      style={{ marginInlineEnd: 4 }}
    >
      {name}
    </Chip>
  );
}

const lite = {
  base: {
    display: 'inline-block',
    padding: '0 7px',
    fontSize: 12,
    lineHeight: '20px',
    borderRadius: 4,
    marginInlineEnd: 4,
    borderWidth: 1,
    borderStyle: 'solid',
  },
  enterprise: { color: '#0958d9', background: '#e6f4ff', borderColor: '#91caff' },
  personal: { color: '#237804', background: '#f6ffed', borderColor: '#b7eb8f' },
} as const;

/**
 * The same chip as a plain span with antd's preset colours, for table cells: a virtualized list
 * re-renders its visible rows on every scroll frame, and a styled component per tag costs frames.
 */
export function TagChipLite({ name, personal, title }: { name: string; personal: boolean; title?: string }) {
  return (
    <span title={title ?? name} style={{ ...lite.base, ...(personal ? lite.personal : lite.enterprise) }}>
      {name}
    </span>
  );
}
