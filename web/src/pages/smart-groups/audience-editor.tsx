import { Alert, Card, Col, Input, Row, Space, Spin, Typography } from 'antd';
import { memo, useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client.js';
import { useLiveCount } from '../../api/smart-groups.js';
import {
  audienceKey,
  type BuilderGroup,
  compileTree,
  type Expr,
  emptyRoot,
  libraryLabels,
  libraryResolver,
  type TextError,
  textOfTree,
  treeOf,
  treeOfText,
} from './builder-model.js';
import { ConditionBuilder } from './condition-builder.js';

// The builder re-renders only when its tree changes, and at low priority (below), so a keystroke in
// the text box reaches the live count without waiting for the builder's controls to re-render.
const Builder = memo(ConditionBuilder);

// While the user types in the text form, the builder catches up once typing pauses: re-rendering
// its selects on every keystroke kept the main thread busy when the live count's answer arrived.
const builderCatchUpMs = 250;

import type { BuilderChoices } from './condition-editor.js';

/** The live matched count: the number for the newest expression, dimmed while a newer one is asked. */
function LiveCount({ exprKey, expr }: { exprKey: string | undefined; expr: Expr | undefined }) {
  const { t } = useTranslation('smart');
  const count = useLiveCount(exprKey, expr);
  const shown = exprKey === undefined ? undefined : count.data?.count;
  return (
    <Space size={8} align="baseline" aria-live="polite">
      <Typography.Text type="secondary">{t('matched')}</Typography.Text>
      <Typography.Text
        strong
        style={{ fontSize: 24, opacity: count.current || exprKey === undefined ? 1 : 0.45 }}
        data-testid="live-count"
        data-current={String(count.current)}
      >
        {shown === undefined ? '—' : shown.toLocaleString()}
      </Typography.Text>
      {exprKey !== undefined && count.data && <Typography.Text type="secondary">{t('ofTotal', { total: count.data.total.toLocaleString() })}</Typography.Text>}
      {count.isFetching && <Spin size="small" />}
      {count.isError && <Typography.Text type="danger">{errorText(count.error)}</Typography.Text>}
    </Space>
  );
}

/**
 * An audience edited two ways at once: the condition builder and its text form side by side.
 * Editing either updates the other; text that does not parse shows the parser's message at its
 * line and column and leaves the builder as it was. The matched count follows live.
 */
export function AudienceEditor({
  initial,
  choices,
  onChange,
}: {
  initial: Expr | undefined;
  choices: BuilderChoices;
  onChange: (expr: Expr | undefined) => void;
}) {
  const { t } = useTranslation('smart');
  const labels = useMemo(() => libraryLabels(choices.groups, choices.chats), [choices.groups, choices.chats]);
  const resolve = useMemo(() => libraryResolver(choices.groups, choices.chats), [choices.groups, choices.chats]);
  const [tree, setTree] = useState<BuilderGroup>(() => (initial ? treeOf(initial) : emptyRoot()));
  const [text, setText] = useState(() => textOfTree(tree, labels));
  const [textError, setTextError] = useState<TextError | null>(null);
  const compiled = useMemo(() => compileTree(tree), [tree]);
  const [settledTree, setSettledTree] = useState(tree);
  const catchUp = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(catchUp.current), []);
  const shownTree = useDeferredValue(settledTree);
  const shownIssues = useMemo(() => compileTree(shownTree).issues, [shownTree]);
  const exprKey = compiled.expr ? audienceKey(compiled.expr) : undefined;

  useEffect(() => onChange(compiled.expr), [exprKey]); // eslint-disable-line react-hooks/exhaustive-deps

  const fromBuilder = useCallback(
    (next: BuilderGroup) => {
      clearTimeout(catchUp.current);
      setTree(next);
      setSettledTree(next);
      setText(textOfTree(next, labels));
      setTextError(null);
    },
    [labels],
  );
  const fromText = (value: string) => {
    setText(value);
    const read = treeOfText(value, resolve);
    if ('error' in read) return setTextError(read.error);
    setTextError(null);
    setTree(read.tree);
    clearTimeout(catchUp.current);
    catchUp.current = setTimeout(() => setSettledTree(read.tree), builderCatchUpMs);
  };

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <LiveCount exprKey={exprKey} expr={compiled.expr} />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Card size="small" title={t('builder')}>
            <Builder root={shownTree} onChange={fromBuilder} choices={choices} issues={shownIssues} />
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card size="small" title={t('textForm')}>
            <Input.TextArea
              aria-label={t('textForm')}
              data-testid="audience-text"
              value={text}
              onChange={(e) => fromText(e.target.value)}
              autoSize={{ minRows: 4, maxRows: 12 }}
              spellCheck={false}
              placeholder={t('textPlaceholder')}
              status={textError ? 'error' : undefined}
              style={{ fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace' }}
            />
            {textError && (
              <Alert
                style={{ marginTop: 8 }}
                type="error"
                showIcon
                role="alert"
                message={textError.line !== undefined ? t('textErrorAt', { line: textError.line, column: textError.column }) : t('textError')}
                description={<pre style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word', margin: 0, fontSize: 12 }}>{textError.message}</pre>}
              />
            )}
            <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0, fontSize: 12 }}>
              {t('textHelp')}
            </Typography.Paragraph>
          </Card>
        </Col>
      </Row>
    </Space>
  );
}
