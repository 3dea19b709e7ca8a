<?php
/**
 * The "Fortnox" admin menu entry: a signed, short-lived link to the sidecar.
 *
 * @package Fortnox_Sidecar
 */

defined( 'ABSPATH' ) || exit;

/**
 * Sends a shop manager to `{sidecar}/auth/wordpress?wp_user=..&expires=..&sig=..`.
 *
 * The menu entry points at admin-post.php with a nonce; the handler checks the
 * capability and the nonce, signs a link valid for 60 seconds and redirects.
 */
class Fortnox_Sidecar_Admin_Link {

	const ACTION    = 'fortnox_sidecar_open';
	const AUTH_PATH = '/auth/wordpress';
	const LIFETIME  = 60;

	/**
	 * Settings.
	 *
	 * @var Fortnox_Sidecar_Settings
	 */
	private $settings;

	/**
	 * Constructor.
	 *
	 * @param Fortnox_Sidecar_Settings $settings Settings.
	 */
	public function __construct( Fortnox_Sidecar_Settings $settings ) {
		$this->settings = $settings;
	}

	/**
	 * Hook into WordPress.
	 */
	public function register() {
		add_action( 'admin_menu', array( $this, 'add_menu' ) );
		add_action( 'admin_post_' . self::ACTION, array( $this, 'handle_open' ) );
	}

	/**
	 * Add the top-level "Fortnox" entry for users who can manage WooCommerce.
	 *
	 * Without a page callback WordPress uses the menu slug as the link target, so
	 * the entry links straight to the nonce-protected admin-post.php action. The slug
	 * is relative to wp-admin/ (add_menu_page mangles absolute URLs).
	 */
	public function add_menu() {
		if ( ! current_user_can( Fortnox_Sidecar_Settings::CAPABILITY ) ) {
			return;
		}
		add_menu_page(
			__( 'Fortnox', 'fortnox-sidecar' ),
			__( 'Fortnox', 'fortnox-sidecar' ),
			Fortnox_Sidecar_Settings::CAPABILITY,
			$this->menu_slug(),
			'',
			'dashicons-randomize',
			56
		);
	}

	/**
	 * The menu target: admin-post.php with the action and a nonce.
	 *
	 * @return string
	 */
	public function menu_slug() {
		return 'admin-post.php?action=' . self::ACTION . '&_wpnonce=' . rawurlencode( wp_create_nonce( self::ACTION ) );
	}

	/**
	 * Build the signed link.
	 *
	 * @param int $user_id WordPress user ID.
	 * @param int $now     Current Unix time.
	 * @return string '' when the sidecar is not configured.
	 */
	public function signed_url( $user_id, $now ) {
		if ( ! $this->settings->is_configured() || '' === $this->settings->get_link_secret() ) {
			return '';
		}
		$user_id = (int) $user_id;
		$expires = (int) $now + self::LIFETIME;
		$query   = array(
			'wp_user' => $user_id,
			'expires' => $expires,
			'sig'     => Fortnox_Sidecar_Signature::link_signature( $this->settings->get_link_secret(), $user_id, $expires ),
		);
		return $this->settings->endpoint( self::AUTH_PATH ) . '?' . http_build_query( $query, '', '&', PHP_QUERY_RFC3986 );
	}

	/**
	 * Handle admin-post.php?action=fortnox_sidecar_open.
	 */
	public function handle_open() {
		if ( ! current_user_can( Fortnox_Sidecar_Settings::CAPABILITY ) ) {
			wp_die(
				esc_html__( 'Sorry, you are not allowed to open the Fortnox settings.', 'fortnox-sidecar' ),
				esc_html__( 'Not allowed', 'fortnox-sidecar' ),
				array( 'response' => 403 )
			);
			return;
		}

		check_admin_referer( self::ACTION );

		if ( '' === $this->signed_url( get_current_user_id(), time() ) ) {
			wp_safe_redirect( $this->settings->page_url() );
			$this->finish();
			return;
		}

		// The sidecar is on another host by design, and its URL comes from the settings.
		// phpcs:ignore WordPress.Security.SafeRedirect.wp_redirect_wp_redirect
		wp_redirect( $this->signed_url( get_current_user_id(), time() ) );
		$this->finish();
	}

	/**
	 * End the request after a redirect.
	 */
	protected function finish() {
		exit;
	}
}
