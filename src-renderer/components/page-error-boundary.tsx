import { Component, type ReactNode } from 'react';

interface State {
  error: Error | null;
}

/** A page that throws while rendering shows the error in its place; the shell and nav stay usable. */
export class PageErrorBoundary extends Component<{ page: string; children: ReactNode }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidUpdate(previous: { page: string }) {
    if (previous.page !== this.props.page && this.state.error) this.setState({ error: null });
  }

  override render() {
    if (this.state.error === null) return this.props.children;
    return (
      <div className="page" data-page-error={this.props.page}>
        <div className="inline-error" role="alert">
          <strong>This page failed to draw:</strong> {this.state.error.message}
          <div className="small muted" style={{ marginTop: 6 }}>
            Other pages still work. Reload (Ctrl/⌘ R) to retry; if it persists, note what you did
            and check the Fleetdeck log in the data folder.
          </div>
        </div>
      </div>
    );
  }
}
