<?php
/**
 * Wiring: builds the parts and connects them to WordPress.
 *
 * @package Fortnox_Sidecar
 */

defined( 'ABSPATH' ) || exit;

/**
 * The plugin.
 */
class Fortnox_Sidecar_Plugin {

	const NOTICE_TRANSIENT = 'fortnox_sidecar_notices_';

	/**
	 * Settings.
	 *
	 * @var Fortnox_Sidecar_Settings
	 */
	public $settings;

	/**
	 * Webhooks.
	 *
	 * @var Fortnox_Sidecar_Webhooks
	 */
	public $webhooks;

	/**
	 * Host and port allowance.
	 *
	 * @var Fortnox_Sidecar_Http_Access
	 */
	public $http_access;

	/**
	 * Menu entry and signed link.
	 *
	 * @var Fortnox_Sidecar_Admin_Link
	 */
	public $admin_link;

	/**
	 * Order screens.
	 *
	 * @var Fortnox_Sidecar_Orders
	 */
	public $orders;

	/**
	 * Main plugin file.
	 *
	 * @var string
	 */
	private $file;

	/**
	 * Whether the settings were saved in this request and the webhooks need a sync.
	 *
	 * @var bool
	 */
	private $sync_pending = false;

	/**
	 * Constructor.
	 *
	 * @param string $file Main plugin file.
	 */
	public function __construct( $file ) {
		$this->file        = $file;
		$this->settings    = new Fortnox_Sidecar_Settings();
		$this->webhooks    = new Fortnox_Sidecar_Webhooks( $this->settings );
		$this->http_access = new Fortnox_Sidecar_Http_Access( $this->settings );
		$this->admin_link  = new Fortnox_Sidecar_Admin_Link( $this->settings );
		$this->orders      = new Fortnox_Sidecar_Orders( $this->settings );
	}

	/**
	 * Hook everything into WordPress.
	 */
	public function register() {
		$this->settings->register();
		$this->webhooks->register();
		$this->http_access->register();
		$this->admin_link->register();
		$this->orders->register();

		// Saving either setting (even unchanged, which re-activates disabled webhooks)
		// schedules one sync after all options of the request are stored.
		foreach ( array( Fortnox_Sidecar_Settings::OPTION_URL, Fortnox_Sidecar_Settings::OPTION_SECRET ) as $option ) {
			add_filter( 'pre_update_option_' . $option, array( $this, 'flag_sync' ) );
			add_action( 'add_option_' . $option, array( $this, 'flag_sync' ) );
		}
		add_action( 'shutdown', array( $this, 'run_pending_sync' ) );

		add_action( 'admin_notices', array( $this, 'render_notices' ) );
		add_action( 'admin_notices', array( $this, 'render_woocommerce_missing' ) );
		add_action( 'init', array( $this, 'load_textdomain' ) );
		add_action( 'before_woocommerce_init', array( $this, 'declare_hpos_compatibility' ) );
		add_filter( 'plugin_action_links_' . plugin_basename( $this->file ), array( $this, 'action_links' ) );
	}

	/**
	 * Mark a sync as due. Used as a filter, so the value passes through unchanged.
	 *
	 * @param mixed $value Option value (filter) or option name (action).
	 * @return mixed
	 */
	public function flag_sync( $value = null ) {
		$this->sync_pending = true;
		return $value;
	}

	/**
	 * Whether a sync is due.
	 *
	 * @return bool
	 */
	public function is_sync_pending() {
		return $this->sync_pending;
	}

	/**
	 * Sync the webhooks once at the end of a request that saved the settings.
	 *
	 * The webhooks are owned by the user who saved, if they can manage WooCommerce.
	 */
	public function run_pending_sync() {
		if ( ! $this->sync_pending ) {
			return;
		}
		$this->sync_pending = false;
		$this->store_notices( $this->webhooks->sync( get_current_user_id() ) );
	}

	/**
	 * Activation: create or update the webhooks when the plugin is configured.
	 */
	public function activate() {
		$this->sync_pending = false;
		$this->store_notices( $this->webhooks->sync( get_current_user_id() ) );
	}

	/**
	 * Deactivation: pause the webhooks (see Fortnox_Sidecar_Webhooks::pause()).
	 */
	public function deactivate() {
		$this->webhooks->pause();
	}

	/**
	 * Keep notices for the current user's next admin page.
	 *
	 * @param array $notices Notices from a sync.
	 */
	private function store_notices( array $notices ) {
		$user_id = get_current_user_id();
		if ( $user_id <= 0 || empty( $notices ) ) {
			return;
		}
		set_transient( self::NOTICE_TRANSIENT . $user_id, $notices, 10 * MINUTE_IN_SECONDS );
	}

	/**
	 * Print and forget the current user's notices.
	 */
	public function render_notices() {
		if ( ! current_user_can( Fortnox_Sidecar_Settings::CAPABILITY ) ) {
			return;
		}
		$key     = self::NOTICE_TRANSIENT . get_current_user_id();
		$notices = get_transient( $key );
		if ( ! is_array( $notices ) || empty( $notices ) ) {
			return;
		}
		delete_transient( $key );

		$types = array( 'success', 'info', 'warning', 'error' );
		foreach ( $notices as $notice ) {
			if ( ! is_array( $notice ) || ! isset( $notice['message'] ) ) {
				continue;
			}
			$type = ( isset( $notice['type'] ) && in_array( $notice['type'], $types, true ) ) ? $notice['type'] : 'info';
			printf(
				'<div class="notice notice-%1$s is-dismissible"><p>%2$s</p></div>',
				esc_attr( $type ),
				esc_html( (string) $notice['message'] )
			);
		}
	}

	/**
	 * Tell administrators that WooCommerce is missing: without it nothing reaches the sidecar.
	 *
	 * WordPress 6.5 and later refuse to activate the plugin without WooCommerce (the
	 * "Requires Plugins" header), but older versions do not, and WooCommerce can still go away later.
	 */
	public function render_woocommerce_missing() {
		if ( class_exists( 'WooCommerce' ) || ! current_user_can( 'activate_plugins' ) ) {
			return;
		}
		printf(
			'<div class="notice notice-error fortnox-sidecar-woocommerce-missing"><p>%s</p></div>',
			esc_html__( 'Fortnox Sidecar Connector needs WooCommerce. Install and activate WooCommerce; until then no orders or products are sent to Fortnox.', 'fortnox-sidecar' )
		);
	}

	/**
	 * Load translations.
	 */
	public function load_textdomain() {
		load_plugin_textdomain( 'fortnox-sidecar', false, dirname( plugin_basename( $this->file ) ) . '/languages' );
	}

	/**
	 * Declare compatibility with WooCommerce's High-Performance Order Storage.
	 */
	public function declare_hpos_compatibility() {
		if ( class_exists( '\Automattic\WooCommerce\Utilities\FeaturesUtil' ) ) {
			\Automattic\WooCommerce\Utilities\FeaturesUtil::declare_compatibility( 'custom_order_tables', $this->file, true );
		}
	}

	/**
	 * "Settings" link on the Plugins screen.
	 *
	 * @param array $links Links.
	 * @return array
	 */
	public function action_links( $links ) {
		if ( ! is_array( $links ) || ! current_user_can( Fortnox_Sidecar_Settings::CAPABILITY ) ) {
			return $links;
		}
		array_unshift(
			$links,
			'<a href="' . esc_url( $this->settings->page_url() ) . '">' . esc_html__( 'Settings', 'fortnox-sidecar' ) . '</a>'
		);
		return $links;
	}
}
