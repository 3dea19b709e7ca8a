<?php
/**
 * Settings: the sidecar URL, and the three secrets fetched with a pairing code.
 *
 * @package Fortnox_Sidecar
 */

defined( 'ABSPATH' ) || exit;

/**
 * Stores, validates and renders the settings through the Settings API.
 *
 * The sidecar keeps a secret per purpose: the webhook secret (WooCommerce shows it to
 * every shop manager, so it signs webhooks only), the link secret (the sign-in link of
 * the admin menu) and the plugin secret (resend requests). The owner makes a one-time
 * pairing code on the sidecar's Security log page; saving it here fetches all three
 * from POST {sidecar}/api/pair. The code itself is never stored.
 */
class Fortnox_Sidecar_Settings {

	const OPTION_URL         = 'fortnox_sidecar_url';
	const OPTION_SECRET        = 'fortnox_sidecar_secret';
	const OPTION_LINK_SECRET   = 'fortnox_sidecar_link_secret';
	const OPTION_PLUGIN_SECRET = 'fortnox_sidecar_plugin_secret';
	const OPTION_PAIRING_CODE  = 'fortnox_sidecar_pairing_code';
	const PAIR_PATH            = '/api/pair';
	const OPTION_WEBHOOK_IDS = 'fortnox_sidecar_webhook_ids';
	const GROUP              = 'fortnox_sidecar';
	const PAGE               = 'fortnox-sidecar';
	const SECTION            = 'fortnox_sidecar_connection';
	const CAPABILITY         = 'manage_woocommerce';

	/**
	 * Allowed secret: 16 to 255 characters that survive WooCommerce's handling unchanged.
	 *
	 * WooCommerce decodes HTML entities in the webhook secret before signing and its
	 * admin form runs sanitize_text_field over it, so `&`, `<`, `%`, quotes and spaces
	 * would make the sidecar compute a different signature. URL-safe base64 and hex
	 * secrets (Python's secrets.token_urlsafe / token_hex) fit this pattern.
	 */
	const SECRET_PATTERN = '#^[A-Za-z0-9._~+/=-]{16,255}$#';

	/**
	 * Hook into WordPress.
	 */
	public function register() {
		add_action( 'admin_init', array( $this, 'register_settings' ) );
		add_action( 'admin_menu', array( $this, 'add_page' ) );
		// options.php requires manage_options by default; shop managers lack it.
		add_filter( 'option_page_capability_' . self::GROUP, array( $this, 'page_capability' ) );
	}

	/**
	 * The capability needed to save this settings group.
	 *
	 * @return string
	 */
	public function page_capability() {
		return self::CAPABILITY;
	}

	/**
	 * The sidecar base URL without a trailing slash, or '' when unset or invalid.
	 *
	 * @return string
	 */
	public function get_url() {
		$url = get_option( self::OPTION_URL, '' );
		if ( ! is_string( $url ) || '' === $url ) {
			return '';
		}
		$normalized = self::normalize_url( $url );
		return false === $normalized ? '' : $normalized;
	}

	/**
	 * The shared secret, or ''.
	 *
	 * @return string
	 */
	public function get_secret() {
		$secret = get_option( self::OPTION_SECRET, '' );
		return is_string( $secret ) ? $secret : '';
	}

	/**
	 * The secret of the sign-in link, or ''.
	 *
	 * @return string
	 */
	public function get_link_secret() {
		$secret = get_option( self::OPTION_LINK_SECRET, '' );
		return is_string( $secret ) ? $secret : '';
	}

	/**
	 * The secret of the plugin's requests to the sidecar, or ''.
	 *
	 * @return string
	 */
	public function get_plugin_secret() {
		$secret = get_option( self::OPTION_PLUGIN_SECRET, '' );
		return is_string( $secret ) ? $secret : '';
	}

	/**
	 * Whether both the URL and the secret are set.
	 *
	 * @return bool
	 */
	public function is_configured() {
		return '' !== $this->get_url() && '' !== $this->get_secret();
	}

	/**
	 * The sidecar's host name, lower case, or ''.
	 *
	 * @return string
	 */
	public function get_host() {
		$url = $this->get_url();
		if ( '' === $url ) {
			return '';
		}
		$host = wp_parse_url( $url, PHP_URL_HOST );
		return is_string( $host ) ? strtolower( $host ) : '';
	}

	/**
	 * The port written in the sidecar URL, or null when the URL has none.
	 *
	 * @return int|null
	 */
	public function get_port() {
		$url = $this->get_url();
		if ( '' === $url ) {
			return null;
		}
		$port = wp_parse_url( $url, PHP_URL_PORT );
		return is_int( $port ) ? $port : null;
	}

	/**
	 * An absolute URL on the sidecar.
	 *
	 * @param string $path Path starting with '/'.
	 * @return string '' when the sidecar URL is unset.
	 */
	public function endpoint( $path ) {
		$url = $this->get_url();
		if ( '' === $url ) {
			return '';
		}
		return $url . '/' . ltrim( $path, '/' );
	}

	/**
	 * The settings page's admin URL.
	 *
	 * @return string
	 */
	public function page_url() {
		return admin_url( 'admin.php?page=' . self::PAGE );
	}

	/**
	 * Normalize and validate a sidecar URL.
	 *
	 * Accepts http and https URLs with a host, an optional port and an optional path
	 * prefix (for a sidecar behind a reverse proxy). Rejects credentials, query strings,
	 * fragments and IPv6 literals (WordPress's safe HTTP functions refuse bracketed
	 * hosts, so WooCommerce could never deliver to them).
	 *
	 * @param string $url Raw URL.
	 * @return string|false Normalized URL without trailing slash, or false.
	 */
	public static function normalize_url( $url ) {
		$url = trim( (string) $url );
		if ( '' === $url ) {
			return false;
		}

		$parts = wp_parse_url( $url );
		if ( ! is_array( $parts ) || empty( $parts['scheme'] ) || empty( $parts['host'] ) ) {
			return false;
		}

		$scheme = strtolower( $parts['scheme'] );
		if ( 'http' !== $scheme && 'https' !== $scheme ) {
			return false;
		}
		if ( isset( $parts['user'] ) || isset( $parts['pass'] ) || isset( $parts['query'] ) || isset( $parts['fragment'] ) ) {
			return false;
		}

		$host = strtolower( $parts['host'] );
		if ( ! preg_match( '/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/', $host ) ) {
			return false;
		}

		$normalized = $scheme . '://' . $host;
		if ( isset( $parts['port'] ) ) {
			$port = (int) $parts['port'];
			if ( $port < 1 || $port > 65535 ) {
				return false;
			}
			$normalized .= ':' . $port;
		}

		$path = isset( $parts['path'] ) ? rtrim( $parts['path'], '/' ) : '';
		if ( '' !== $path && ! preg_match( '#^(/[A-Za-z0-9._~-]+)+$#', $path ) ) {
			return false;
		}

		return $normalized . $path;
	}

	/**
	 * Sanitize callback for the URL option.
	 *
	 * @param mixed $value Submitted value.
	 * @return string
	 */
	public function sanitize_url( $value ) {
		$value = is_string( $value ) ? trim( $value ) : '';
		if ( '' === $value ) {
			return '';
		}

		$normalized = self::normalize_url( $value );
		if ( false === $normalized ) {
			add_settings_error(
				self::OPTION_URL,
				'fortnox_sidecar_invalid_url',
				__( 'The sidecar URL must be an http:// or https:// address such as http://127.0.0.1:8000, without user name, query string or IPv6 address. The previous value was kept.', 'fortnox-sidecar' )
			);
			$previous = get_option( self::OPTION_URL, '' );
			return is_string( $previous ) ? $previous : '';
		}

		return $normalized;
	}

	/**
	 * Sanitize callback for the secret option.
	 *
	 * The form field is write-only: an empty submission keeps the stored secret.
	 *
	 * @param mixed $value Submitted value.
	 * @return string
	 */
	public function sanitize_secret( $value, $option = self::OPTION_SECRET ) {
		$option   = in_array( $option, array( self::OPTION_LINK_SECRET, self::OPTION_PLUGIN_SECRET ), true ) ? $option : self::OPTION_SECRET;
		$previous = get_option( $option, '' );
		$previous = is_string( $previous ) ? $previous : '';
		$value    = is_string( $value ) ? trim( $value ) : '';

		if ( '' === $value ) {
			return $previous;
		}

		if ( ! preg_match( self::SECRET_PATTERN, $value ) ) {
			add_settings_error(
				$option,
				'fortnox_sidecar_invalid_secret',
				__( 'The shared secret must be 16 to 255 characters long and use only letters, digits and . _ ~ + / = -. Copy it from the sidecar. The previous secret was kept.', 'fortnox-sidecar' )
			);
			return $previous;
		}

		return $value;
	}

	/**
	 * Sanitize callback for the pairing code: fetch the three secrets with it.
	 *
	 * Runs after the URL was saved (the options are saved in the order they were
	 * registered). Returns '' so that the code is never stored.
	 *
	 * @param mixed $value Submitted value.
	 * @return string
	 */
	public function sanitize_pairing_code( $value ) {
		$code = is_string( $value ) ? strtoupper( trim( $value ) ) : '';
		if ( '' === $code ) {
			return '';
		}
		if ( ! preg_match( '/^[A-Z0-9-]{4,40}$/', $code ) || '' === $this->get_url() ) {
			self::pairing_error( __( 'Enter the sidecar URL and the pairing code shown on the sidecar\'s Security log page.', 'fortnox-sidecar' ) );
			return '';
		}
		$response = wp_remote_post(
			$this->endpoint( self::PAIR_PATH ),
			array(
				'timeout'     => 15,
				'redirection' => 0,
				'headers'     => array(
					'Content-Type' => 'application/json',
					'Accept'       => 'application/json',
				),
				'body'        => wp_json_encode( array( 'code' => $code ) ),
			)
		);
		$status  = is_wp_error( $response ) ? 0 : (int) wp_remote_retrieve_response_code( $response );
		$secrets = 200 === $status ? json_decode( (string) wp_remote_retrieve_body( $response ), true ) : null;
		$options = array(
			'webhook_secret' => self::OPTION_SECRET,
			'link_secret'    => self::OPTION_LINK_SECRET,
			'plugin_secret'  => self::OPTION_PLUGIN_SECRET,
		);
		foreach ( $options as $key => $option ) {
			if ( ! is_array( $secrets ) || ! isset( $secrets[ $key ] ) || ! is_string( $secrets[ $key ] ) || ! preg_match( self::SECRET_PATTERN, $secrets[ $key ] ) ) {
				self::pairing_error(
					0 === $status
						? __( 'The sidecar could not be reached. Check the sidecar URL and try again.', 'fortnox-sidecar' )
						/* translators: %d: HTTP status code */
						: sprintf( __( 'The sidecar refused the pairing code (HTTP status %d). Make a new code on the sidecar\'s Security log page; a code works once, for 15 minutes.', 'fortnox-sidecar' ), $status )
				);
				return '';
			}
		}
		foreach ( $options as $key => $option ) {
			update_option( $option, $secrets[ $key ] );
		}
		return '';
	}

	/**
	 * Report a failed pairing on the settings page.
	 *
	 * @param string $message Message.
	 */
	private static function pairing_error( $message ) {
		add_settings_error( self::OPTION_PAIRING_CODE, 'fortnox_sidecar_pairing_failed', $message );
	}

	/**
	 * Register the settings, section and fields.
	 */
	public function register_settings() {
		register_setting(
			self::GROUP,
			self::OPTION_URL,
			array(
				'type'              => 'string',
				'default'           => '',
				'show_in_rest'      => false,
				'sanitize_callback' => array( $this, 'sanitize_url' ),
			)
		);
		register_setting(
			self::GROUP,
			self::OPTION_SECRET,
			array(
				'type'              => 'string',
				'default'           => '',
				'show_in_rest'      => false,
				'sanitize_callback' => array( $this, 'sanitize_secret' ),
			)
		);
		foreach ( array( self::OPTION_LINK_SECRET, self::OPTION_PLUGIN_SECRET ) as $option ) {
			register_setting(
				self::GROUP,
				$option,
				array(
					'type'              => 'string',
					'default'           => '',
					'show_in_rest'      => false,
					// WordPress passes the callback the value only.
					'sanitize_callback' => function ( $value ) use ( $option ) {
						return $this->sanitize_secret( $value, $option );
					},
				)
			);
		}
		// Last: it reads the URL saved just before it.
		register_setting(
			self::GROUP,
			self::OPTION_PAIRING_CODE,
			array(
				'type'              => 'string',
				'default'           => '',
				'show_in_rest'      => false,
				'sanitize_callback' => array( $this, 'sanitize_pairing_code' ),
			)
		);

		add_settings_section(
			self::SECTION,
			__( 'Connection to the sidecar', 'fortnox-sidecar' ),
			array( $this, 'render_section' ),
			self::PAGE
		);
		add_settings_field(
			self::OPTION_URL,
			__( 'Sidecar URL', 'fortnox-sidecar' ),
			array( $this, 'render_url_field' ),
			self::PAGE,
			self::SECTION,
			array( 'label_for' => self::OPTION_URL )
		);
		add_settings_field(
			self::OPTION_PAIRING_CODE,
			__( 'Pairing code', 'fortnox-sidecar' ),
			array( $this, 'render_pairing_field' ),
			self::PAGE,
			self::SECTION,
			array( 'label_for' => self::OPTION_PAIRING_CODE )
		);
	}

	/**
	 * Add the settings page under the WooCommerce menu.
	 */
	public function add_page() {
		add_submenu_page(
			'woocommerce',
			__( 'Fortnox sidecar', 'fortnox-sidecar' ),
			__( 'Fortnox sidecar', 'fortnox-sidecar' ),
			self::CAPABILITY,
			self::PAGE,
			array( $this, 'render_page' )
		);
	}

	/**
	 * Render the settings page.
	 */
	public function render_page() {
		if ( ! current_user_can( self::CAPABILITY ) ) {
			return;
		}

		echo '<div class="wrap">';
		echo '<h1>' . esc_html__( 'Fortnox sidecar', 'fortnox-sidecar' ) . '</h1>';
		settings_errors();
		echo '<form action="' . esc_url( admin_url( 'options.php' ) ) . '" method="post">';
		settings_fields( self::GROUP );
		do_settings_sections( self::PAGE );
		submit_button( __( 'Save and connect', 'fortnox-sidecar' ) );
		echo '</form>';

		/**
		 * Fires below the settings form (the webhook status table hooks in here).
		 */
		do_action( 'fortnox_sidecar_settings_after_form' );
		echo '</div>';
	}

	/**
	 * Render the section intro.
	 */
	public function render_section() {
		echo '<p>' . esc_html__( 'Saving creates or updates the WooCommerce webhooks that send orders and products to the sidecar, and re-activates any that WooCommerce disabled.', 'fortnox-sidecar' ) . '</p>';
	}

	/**
	 * Render the URL field.
	 */
	public function render_url_field() {
		printf(
			'<input type="url" class="regular-text code" id="%1$s" name="%1$s" value="%2$s" placeholder="http://127.0.0.1:8000" />',
			esc_attr( self::OPTION_URL ),
			esc_attr( $this->get_url() )
		);
		echo '<p class="description">' . esc_html__( 'Where the sidecar listens, as WordPress reaches it. A local or private address and any port are allowed, for exactly this scheme, host and port.', 'fortnox-sidecar' ) . '</p>';
	}

	/**
	 * Render the pairing code field. No stored secret is ever printed.
	 */
	public function render_pairing_field() {
		printf(
			'<input type="text" class="regular-text code" id="%1$s" name="%1$s" value="" autocomplete="off" placeholder="ABCD-EFGH-JKLM" />',
			esc_attr( self::OPTION_PAIRING_CODE )
		);
		$state = '' !== $this->get_secret() && '' !== $this->get_link_secret() && '' !== $this->get_plugin_secret()
			? __( 'Paired. Leave the field empty to keep the secrets.', 'fortnox-sidecar' )
			: __( 'Not paired yet.', 'fortnox-sidecar' );
		echo '<p class="description">' . esc_html( $state ) . ' ' . esc_html__( 'Make a pairing code on the sidecar\'s Security log page and enter it here: the plugin then fetches its secrets from the sidecar.', 'fortnox-sidecar' ) . '</p>';
	}
}
