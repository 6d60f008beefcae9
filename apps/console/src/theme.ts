import { Anchor, Badge, Button, createTheme, Modal, NativeSelect, Popover, Table, Textarea, TextInput, PasswordInput } from '@mantine/core';

/**
 * The console's Mantine theme. Transitions are off (a modal or popover is there at once): nothing waits on
 * an animation, so browser tests never race one, and nobody waits on a fade to read a payment.
 */
export const theme = createTheme({
  fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
  primaryColor: 'blue',
  defaultRadius: 'sm',
  components: {
    Modal: Modal.extend({ defaultProps: { transitionProps: { duration: 0 }, size: 'lg', closeButtonProps: { 'aria-label': 'Close dialog' } } }),
    Popover: Popover.extend({ defaultProps: { transitionProps: { duration: 0 } } }),
    // A status never shortens to "SUCC…" in a narrow column: the label does not clip.
    Badge: Badge.extend({ defaultProps: { tt: 'none', variant: 'light', radius: 'sm' }, styles: { label: { overflow: 'visible' } } }),
    Anchor: Anchor.extend({ defaultProps: { inherit: true } }),
    Button: Button.extend({ defaultProps: { size: 'xs' } }),
    Table: Table.extend({ defaultProps: { fz: 'sm', highlightOnHover: true, withTableBorder: true, horizontalSpacing: 'xs', verticalSpacing: 'xs' } }),
    TextInput: TextInput.extend({ defaultProps: { size: 'xs' } }),
    PasswordInput: PasswordInput.extend({ defaultProps: { size: 'xs' } }),
    NativeSelect: NativeSelect.extend({ defaultProps: { size: 'xs' } }),
    Textarea: Textarea.extend({ defaultProps: { size: 'xs' } }),
  },
});
