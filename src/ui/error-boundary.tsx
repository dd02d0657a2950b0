// A render error ends the TUI with one line (and the terminal restored), never Ink's stack dump.
import { Component, type ReactNode } from 'react';

export class ErrorBoundary extends Component<{ onError(e: unknown): void; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }
  override componentDidCatch(error: unknown): void {
    this.props.onError(error);
  }
  override render(): ReactNode {
    return this.state.failed ? null : this.props.children;
  }
}
