import { Badge, Button, createTheme, Modal, NativeSelect, Popover, Table, Textarea, TextInput, PasswordInput } from '@mantine/core';

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
    Badge: Badge.extend({ defaultProps: { tt: 'none', variant: 'light', radius: 'sm' } }),
    Button: Button.extend({ defaultProps: { size: 'xs' } }),
    Table: Table.extend({ defaultProps: { fz: 'sm', striped: false, highlightOnHover: true, withTableBorder: true } }),
    TextInput: TextInput.extend({ defaultProps: { size: 'xs' } }),
    PasswordInput: PasswordInput.extend({ defaultProps: { size: 'xs' } }),
    NativeSelect: NativeSelect.extend({ defaultProps: { size: 'xs' } }),
    Textarea: Textarea.extend({ defaultProps: { size: 'xs' } }),
  },
});
