import { Tag as Chip } from 'antd';
import { theme } from '../../providers.js';

/** A tag as the list and the detail show it: enterprise tags blue, personal tags green (the library's legend). */
export function TagChip({ name, personal, title, onClose }: { name: string; personal: boolean; title?: string; onClose?: () => void }) {
  return (
    <Chip color={personal ? theme.personalTag : theme.enterpriseTag} title={title ?? name} closable={onClose !== undefined} onClose={onClose} style={{ marginInlineEnd: 4 }}>
      {name}
    </Chip>
  );
}
