import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Dropdown, Segmented, Space, Switch, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  addChild,
  type BuilderGroup,
  type BuilderIssue,
  type BuilderNode,
  emptyRoot,
  type LeafKind,
  leafKindOf,
  leafKinds,
  leafNode,
  newId,
  newLeaf,
  removeNode,
  updateNode,
} from './builder-model.js';
import { type BuilderChoices, ConditionEditor } from './condition-editor.js';

type Edit = { root: BuilderGroup; onChange: (root: BuilderGroup) => void; choices: BuilderChoices; issues: readonly BuilderIssue[] };

function NotSwitch({ node, edit }: { node: BuilderNode; edit: Edit }) {
  const { t } = useTranslation('smart');
  return (
    <Switch
      size="small"
      aria-label={t('not')}
      checked={node.negated}
      checkedChildren={t('notShort')}
      unCheckedChildren={t('notShort')}
      onChange={(negated) => edit.onChange(updateNode(edit.root, node.id, (n) => ({ ...n, negated })))}
    />
  );
}

function AddMenu({ group, edit }: { group: BuilderGroup; edit: Edit }) {
  const { t } = useTranslation('smart');
  const items = [
    ...leafKinds.map((kind) => ({ key: kind, label: t(`kinds.${kind}`) })),
    { type: 'divider' as const },
    { key: 'all', label: t('addAll') },
    { key: 'any', label: t('addAny') },
  ];
  const add = (key: string) => {
    const child: BuilderNode =
      key === 'all' || key === 'any' ? { id: newId(), kind: 'group', op: key, negated: false, children: [] } : leafNode(newLeaf(key as LeafKind));
    edit.onChange(addChild(edit.root, group.id, child));
  };
  return (
    <Dropdown menu={{ items, onClick: ({ key }) => add(key), style: { maxHeight: 320, overflowY: 'auto' } }} trigger={['click']}>
      <Button size="small" type="dashed" icon={<PlusOutlined />}>
        {t('addCondition')}
      </Button>
    </Dropdown>
  );
}

function NodeView({ node, edit, depth }: { node: BuilderNode; edit: Edit; depth: number }) {
  const { t } = useTranslation('smart');
  const remove = (
    <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('remove')} onClick={() => edit.onChange(removeNode(edit.root, node.id))} />
  );
  if (node.kind === 'leaf') {
    const issue = edit.issues.find((i) => i.nodeId === node.id);
    return (
      <div role="group" aria-label={t(`kinds.${leafKindOf(node.leaf)}`)} data-testid="builder-condition">
        <div style={{ display: 'flex', alignItems: 'center', gap: 6 }}>
          <NotSwitch node={node} edit={edit} />
          <Typography.Text strong style={{ width: 72, flex: 'none' }}>
            {t(`kinds.${leafKindOf(node.leaf)}`)}
          </Typography.Text>
          <div style={{ flex: 1, minWidth: 0 }}>
            <ConditionEditor
              leaf={node.leaf}
              choices={edit.choices}
              onChange={(leaf) => edit.onChange(updateNode(edit.root, node.id, (n) => ({ ...n, leaf }) as BuilderNode))}
            />
          </div>
          {remove}
        </div>
        {issue && (
          <Typography.Text type="warning" style={{ display: 'block', fontSize: 12 }}>
            {t('incomplete')}: {issue.message}
          </Typography.Text>
        )}
      </div>
    );
  }
  return <GroupView group={node} edit={edit} depth={depth} remove={depth > 0 ? remove : null} />;
}

function GroupView({ group, edit, depth, remove }: { group: BuilderGroup; edit: Edit; depth: number; remove: React.ReactNode }) {
  const { t } = useTranslation('smart');
  return (
    <div
      role="group"
      aria-label={t(group.op === 'all' ? 'groupAll' : 'groupAny')}
      style={{
        borderLeft: `3px solid ${group.op === 'all' ? '#1677ff' : '#fa8c16'}`,
        padding: '6px 0 6px 10px',
        margin: depth > 0 ? '4px 0' : 0,
        background: depth % 2 ? '#fafafa' : undefined,
      }}
    >
      <Space size={6} wrap style={{ marginBottom: 6 }}>
        {depth > 0 && <NotSwitch node={group} edit={edit} />}
        <Segmented
          size="small"
          aria-label={t('combine')}
          value={group.op}
          options={[
            { value: 'all', label: t('and') },
            { value: 'any', label: t('or') },
          ]}
          onChange={(op) => edit.onChange(updateNode(edit.root, group.id, (n) => ({ ...n, op: op as 'all' | 'any' })))}
        />
        <Typography.Text type="secondary">{t(group.op === 'all' ? 'allHint' : 'anyHint')}</Typography.Text>
        {remove}
      </Space>
      <Space direction="vertical" size={6} style={{ width: '100%' }}>
        {group.children.length === 0 && <Typography.Text type="secondary">{t('emptyGroup')}</Typography.Text>}
        {group.children.map((child) => (
          <NodeView key={child.id} node={child} edit={edit} depth={depth + 1} />
        ))}
        <AddMenu group={group} edit={edit} />
      </Space>
    </div>
  );
}

/**
 * The condition builder: nested AND / OR groups, each condition or group negatable (NOT), every
 * condition type of the audience language. It edits a builder tree; the caller keeps the text form
 * and the live count in step with it.
 */
export function ConditionBuilder(props: Edit) {
  const { t } = useTranslation('smart');
  return (
    <div aria-label={t('builder')}>
      <GroupView
        group={props.root}
        edit={props}
        depth={0}
        remove={
          props.root.children.length > 0 ? (
            <Button size="small" type="link" onClick={() => props.onChange(emptyRoot())}>
              {t('clear')}
            </Button>
          ) : null
        }
      />
    </div>
  );
}
